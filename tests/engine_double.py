"""A stand-in for the app's engine that passes everything to the real one unless a test says not."""

from __future__ import annotations

from tui_tutor.engine.worker import shared_worker


class EngineDouble:
    """The real shared engine behind the interface the app uses; override :meth:`call`."""

    def __init__(self):
        self.real = shared_worker()

    def start_in_background(self):
        return self.real.start_in_background()

    def ticket(self, channel=None):
        return self.real.ticket(channel)

    def cancel(self, ticket):
        self.real.cancel(ticket)

    def call(self, name, *args, **kwargs):
        return self.real.call(name, *args, **kwargs)
