"""Counts every API request the kopf peer makes, the way sessiongate-controller's
sessiongate_controller_api_requests_total counts its own: kopf's requests (aiohttp, watches included) and the
handlers' requests (the kubernetes client's urllib3), served as a number on http://127.0.0.1:PORT/ for the
bench to read at the edges of each phase. Counting only: no request is changed or delayed.
"""
import http.server
import threading

import aiohttp
from kubernetes.client import rest

_lock = threading.Lock()
_count = 0


def _add():
    global _count
    with _lock:
        _count += 1


def count():
    with _lock:
        return _count


def _count_aiohttp():
    original = aiohttp.ClientSession.__init__

    async def on_request_start(session, context, params):
        _add()

    def init(self, *args, trace_configs=None, **kwargs):
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(on_request_start)
        original(self, *args, trace_configs=[*(trace_configs or []), trace], **kwargs)

    aiohttp.ClientSession.__init__ = init


def _count_kubernetes_client():
    original = rest.RESTClientObject.request

    def request(self, *args, **kwargs):
        _add()
        return original(self, *args, **kwargs)

    rest.RESTClientObject.request = request


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"{count()}\n".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def install(port):
    """Starts counting and serves the count on 127.0.0.1:port."""
    _count_aiohttp()
    _count_kubernetes_client()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    threading.Thread(target=server.serve_forever, name="request-counter", daemon=True).start()
