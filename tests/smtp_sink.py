"""A loopback SMTP server for fault tests: optional delay before "250", one JSON line per message.

python smtp_sink.py --port 2525 --delay 10 --log /tmp/smtp.jsonl
"""

import argparse
import asyncio
import json
import signal
import threading
import time
from email import message_from_bytes

from aiosmtpd.controller import Controller


class SlowSink:
    # If the client disconnects during the sleep, aiosmtpd cancels this coroutine
    # (SMTP.connection_lost), so a message whose sender died before "250" is not recorded.
    def __init__(self, delay=0.0, log_path=None):
        self.delay, self.log_path, self.messages = delay, log_path, []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(self.delay)  # the client waits this long for the reply to DATA
        msg = message_from_bytes(envelope.content)
        record = {
            "message_id": msg["Message-ID"],
            "to": envelope.rcpt_tos,
            "subject": msg["Subject"],
            "at": time.time(),
        }
        with self._lock:
            self.messages.append(record)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(json.dumps(record) + "\n")
        return "250 Message accepted for delivery"


def start(port, delay=0.0, log_path=None) -> Controller:
    """Start in a background thread (for pytest fixtures); port 0 is not allowed by aiosmtpd
    1.4's self-test, so pick a free port first."""
    controller = Controller(SlowSink(delay, log_path), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=2525)
    p.add_argument("--delay", type=float, default=0.0)
    p.add_argument("--log")
    a = p.parse_args()
    c = start(a.port, a.delay, a.log)
    print(f"smtp sink on 127.0.0.1:{a.port} delay={a.delay}s", flush=True)  # noqa: T201
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    c.stop()
