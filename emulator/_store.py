"""Emulated state: named tables of JSON records, kept in memory and optionally in a SQLite file.

Reads are served from memory. With a state file every write is also recorded in SQLite and
committed once per request, so the state survives a restart of the emulator.
"""

from __future__ import annotations

import copy
import json
import sqlite3
from collections.abc import Iterator
from typing import Any

Record = dict[str, Any]
Snapshot = dict[str, dict[str, Record]]

TABLES = ("app_instances", "users", "bots", "admins", "endpoints", "retention", "tags", "tokens")


class Table:
    """One kind of record, keyed by a string (usually an ARN)."""

    def __init__(self, name: str, db: sqlite3.Connection | None) -> None:
        self.name = name
        self._db = db
        self._rows: dict[str, Record] = {}

    def get(self, key: str) -> Record | None:
        """The record under key, or None."""
        return self._rows.get(key)

    def put(self, key: str, record: Record) -> None:
        """Insert or replace the record under key."""
        self._rows[key] = record
        if self._db is not None:
            self._db.execute(
                "INSERT OR REPLACE INTO records (tbl, key, value) VALUES (?, ?, ?)",
                (self.name, key, json.dumps(record)),
            )

    def delete(self, key: str) -> None:
        """Remove the record under key, if any."""
        if self._rows.pop(key, None) is not None and self._db is not None:
            self._db.execute("DELETE FROM records WHERE tbl = ? AND key = ?", (self.name, key))

    def items(self, prefix: str = "") -> Iterator[tuple[str, Record]]:
        """(key, record) pairs whose key starts with prefix, sorted by key."""
        return iter(sorted((k, v) for k, v in self._rows.items() if k.startswith(prefix)))

    def __len__(self) -> int:
        return len(self._rows)

    def _load(self, key: str, record: Record) -> None:
        self._rows[key] = record


class Store:
    """All tables of one emulator; with ``path`` they are persisted in a SQLite file."""

    def __init__(self, path: str | None = None) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        if path is not None:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS records"
                " (tbl TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (tbl, key))"
            )
            self._db.commit()
        self.tables = {name: Table(name, self._db) for name in TABLES}
        if self._db is not None:
            for tbl, key, value in self._db.execute("SELECT tbl, key, value FROM records"):
                if tbl in self.tables:
                    self.tables[tbl]._load(key, json.loads(value))

    def __getitem__(self, name: str) -> Table:
        return self.tables[name]

    def commit(self) -> None:
        """Make the writes of the current request durable."""
        if self._db is not None:
            self._db.commit()

    def reset(self) -> None:
        """Forget every record."""
        for name in TABLES:
            self.tables[name] = Table(name, self._db)
        if self._db is not None:
            self._db.execute("DELETE FROM records")
            self._db.commit()

    def snapshot(self) -> Snapshot:
        """A deep copy of every table: ``{table: {key: record}}``."""
        return {name: copy.deepcopy(table._rows) for name, table in self.tables.items()}

    def restore(self, snapshot: Snapshot) -> None:
        """Replace every table's records with those of ``snapshot`` (in the state file too)."""
        self.reset()
        for name, rows in snapshot.items():
            for key, record in rows.items():
                self.tables[name].put(key, copy.deepcopy(record))
        self.commit()

    def close(self) -> None:
        """Commit and close the state file."""
        if self._db is not None:
            self._db.commit()
            self._db.close()
            self._db = None
