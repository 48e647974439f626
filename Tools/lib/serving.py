"""Helpers the benchmark and fault scripts share for running `praxis serve` on a loopback port."""

import socket
import time


def free_port():
    """A loopback port nobody listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, seconds=120):
    """Waits until something listens on `port`; raises TimeoutError after `seconds`."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"the server did not listen on {port} within {seconds} s")
