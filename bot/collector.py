"""The garbage collector, set for a long-running chat service.

A full collection walks every tracked object the process holds. Once the service has started,
most of them live for good (modules, the policy index, library caches), and in a burst of events
thousands more wait in the queue for a moment; on two cores a full collection then took 40–70 ms,
and every request in flight waited for it (the chat adapters' ack benchmark, its p99).
So, once start-up work is done, everything alive moves to the collector's permanent generation
(`gc.freeze`, as Instagram's Django fleet does), and full collections come ten times less often.
Young objects are still collected as before; reference cycles that reach the oldest generation
wait longer to be freed, which costs a little memory, not correctness.
"""
from __future__ import annotations

import gc
import logging

log = logging.getLogger(__name__)

FULL_COLLECTION_EVERY = 100  # middle-generation collections per full one (CPython's default: 10)


def settle_after_start() -> None:
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    log.debug("froze %d long-lived objects out of the collector's way", gc.get_freeze_count())
