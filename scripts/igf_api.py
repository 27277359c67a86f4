"""A tiny client of the igf-scheduler API for the scripts (standard library only)."""
import json
import urllib.error
import urllib.request


class Api:
    """Calls one running service; `token` is sent when set."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}/api/v1"
        self.token = None

    def call(self, method, path, body=None, raw=False):
        req = urllib.request.Request(self.base + path, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        req.add_header("content-type", "application/json")
        if self.token:
            req.add_header("authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req) as r:
                data = r.read()
                return data.decode() if raw else json.loads(data or b"null")
        except urllib.error.HTTPError as e:
            raise RuntimeError(f"{method} {path}: {e.code} {e.read().decode()}") from None

    def login(self, email, password):
        self.token = self.call("POST", "/auth/login", {"email": email, "password": password})["access_token"]
