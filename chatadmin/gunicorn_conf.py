"""gunicorn settings: `gunicorn chatadmin.wsgi -c python:chatadmin.gunicorn_conf`."""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
control_socket_disable = True
accesslog = "-"
# %(U)s is the path without the query string: OAuth callbacks carry codes and state there.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
