"""gunicorn settings for `make serve`, overridable from the environment.

Threaded workers (gthread): a client that sends its request slowly holds one thread, not a whole
worker, and a connection that sends nothing is handed back to the worker's poller, so a few slow
clients cannot stall the site. A site open to the internet still belongs behind a proxy that
buffers whole requests before passing them on (see the README's "Production").
"""

import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "8"))
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
preload_app = True
