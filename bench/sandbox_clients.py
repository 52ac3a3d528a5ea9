"""How fast the sandbox lists OAuth clients: GET /api/v2/chat/oauth/clients, 10,000 clients.

Seeds a throwaway sandbox (`seed_sandbox --bulk-clients N`), starts it on a free port, mints
the owner a token through the control API, then times the list over real HTTP (one keep-alive
connection, as a client library would use) and reports the median, the 95th percentile and the
response size.

    .venv/bin/python bench/sandbox_clients.py [--clients 10000] [--runs 30]
"""

from __future__ import annotations

import argparse
import time

import requests
from seeded_sandbox import percentiles, seeded_sandbox


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    options = parser.parse_args()

    with seeded_sandbox(options.clients) as sandbox:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {sandbox.owner_token}"
        url = f"{sandbox.url}/api/v2/chat/oauth/clients"
        timings, size = [], 0
        for run in range(options.runs + 2):
            began = time.perf_counter()
            response = session.get(url, timeout=30)
            body = response.content
            elapsed = time.perf_counter() - began
            assert response.status_code == 200, response.text[:200]
            if run < 2:
                continue  # warm-up: connection, caches, first queries
            timings.append(elapsed)
            size = len(body)
        assert len(response.json()) == sandbox.clients, "the list is incomplete"

    median, p95 = percentiles(timings)
    print(f"GET /api/v2/chat/oauth/clients, {sandbox.clients} clients, {options.runs} runs:")
    print(
        f"  median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"min {min(timings) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms"
    )
    print(f"  response {size / 1_000_000:.2f} MB ({size:,} bytes)")


if __name__ == "__main__":
    main()
