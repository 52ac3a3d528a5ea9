# chatadmin: one image for the dashboard and the sandbox.
FROM python:3.13-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_PYTHON_DOWNLOADS=never \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app
RUN pip install --no-cache-dir uv==0.13.9
COPY pyproject.toml uv.lock ./
RUN uv sync --locked --no-dev --no-install-project
COPY . .
# collectstatic needs settings; these build-time values are never used at run time.
RUN SECRET_KEY=build-only FERNET_KEYS=kYtbfk5xzHEVOqnxIOVbGMTpHOD7SxJm0CXd1Kvx1OQ= \
    MAIL_URL=console:// CHAT_BASE_URL=http://sandbox:8001 \
    python manage.py collectstatic --noinput

RUN useradd --create-home --uid 10001 chatadmin && mkdir -p /app/var && chown chatadmin /app/var
USER chatadmin
EXPOSE 8000
CMD ["gunicorn", "chatadmin.wsgi", "-c", "python:chatadmin.gunicorn_conf"]
