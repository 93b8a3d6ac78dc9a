"""App: everything a running bot holds. `entry.app.create_app` builds it; adapters and jobs are given it."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.clock import Clock
from bot.config import Settings
from bot.core import Core
from bot.inbox import Inbox
from bot.outbox import Dispatcher
from bot.ports import ChatGateway, check_gateway
from bot.unit_of_work import UnitsOfWork
from storage.db import Database


@dataclass
class App:
    """Adapters get it and add their gateway."""

    settings: Settings
    db: Database
    clock: Clock
    units: UnitsOfWork  # every transaction: `unit_of_work(app)`, `run_in_unit_of_work(app, …)`
    core: Core
    dispatcher: Dispatcher
    inbox: Inbox  # events acknowledged before their work: `app.inbox.record(…)`, then the ack
    gateways: dict[str, ChatGateway] = field(default_factory=dict)

    def add_gateway(self, gateway: ChatGateway) -> None:
        self.gateways[gateway.platform] = check_gateway(gateway)
