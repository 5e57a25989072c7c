"""The one inventory import behind the page, the API and ``ipex compliance import-inventory``:
read chunk by chunk, written in batches, all or nothing, the same file twice imported once;
a device inventoried again in a year replaces what it had that year."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ipex.compliance.inventories.parsers import Chunk, chunks, detect
from ipex.compliance.models import AuditedBody, Device, Install, Inventory, InventoryFormat
from ipex.compliance.reading import Problems, size_and_hash
from ipex.compliance.reconcile import reconcile
from ipex.compliance.services.bodies import ensure_year
from ipex.compliance.services.products import string_ids, strings_count
from ipex.core.audit import as_actor, audit_log
from ipex.core.bulk import append, update_by_id
from ipex.core.errors import DomainError
from ipex.core.permissions import ensure_actor_member_of

MAX_INSTALLS_PER_DEVICE = 5_000  # more on one device is not an inventory but an error
BATCH_INSTALLS = 5_000


def installs_write(rows: list[tuple[int, int, str]]) -> None:
    """Install rows (device id, raw string id, version) written by the fastest plain path of
    the database (``core.bulk.append``: COPY on PostgreSQL, one prepared INSERT elsewhere).
    The importer's only write of installs; the benchmark's "no checks" line writes through
    it too."""
    quote = connection.ops.quote_name
    columns = [quote("device_id"), quote("raw_id"), quote("version")]
    append(connection, quote(Install._meta.db_table), columns, rows)


@dataclass
class InventoryResult:
    inventory: Inventory
    already: bool  # the same file was imported before: nothing changed

    @property
    def message(self) -> str:
        if self.already:
            return _("This file was imported already (%(date)s); nothing changed.") % {
                "date": self.inventory.created_at.date().isoformat()
            }
        return _("%(devices)s devices and %(installs)s installs imported.") % {
            "devices": self.inventory.devices,
            "installs": self.inventory.installs,
        }


def inventory_import(
    *,
    actor,
    body: AuditedBody,
    fileobj,
    file_name: str = "",
    year: int | None = None,
    fmt: str | None = None,
) -> InventoryResult:
    who = as_actor(actor)
    ensure_actor_member_of(who, body.organisation)
    today = timezone.localdate()
    year = ensure_year(today.year if year is None else year)
    if year > today.year:
        raise DomainError(
            _("An inventory is of a year that has begun."), fields={"year": [_("In the future.")]}
        )
    if fmt is not None and fmt not in InventoryFormat.values:
        raise DomainError(_("Unknown format."), fields={"format": [_("Unknown format.")]})
    _size, sha256 = size_and_hash(fileobj)
    existing = Inventory.objects.filter(body=body, sha256=sha256).first()
    if existing is not None:
        return InventoryResult(existing, already=True)
    fmt = fmt or detect(fileobj)
    with transaction.atomic():
        inventory = Inventory.objects.create(
            body=body,
            year=year,
            taken_on=today if year == today.year else dt.date(year, 12, 31),
            file_name=Path(file_name or getattr(fileobj, "name", "") or "inventory").name[:255],
            sha256=sha256,
            format=fmt,
            uploaded_by=who.user,
        )
        importer = _Importer(inventory)
        for chunk in chunks(fmt, fileobj):
            importer.add(chunk)
            if importer.problems.full():
                break
        importer.finish()
        inventory.devices = len(importer.devices)
        inventory.installs = sum(importer.counts.values())
        inventory.save(update_fields=["devices", "installs"])
        audit_log(
            who,
            "compliance.inventory.imported",
            inventory,
            {
                "body": body.code,
                "year": year,
                "format": fmt,
                "file": inventory.file_name,
                "sha256": sha256,
                "devices": inventory.devices,
                "installs": inventory.installs,
            },
        )
        reconcile(body, year)
    return InventoryResult(inventory, already=False)


class _Importer:
    """Checks every chunk; writes while the file is clean, then only checks (so that the
    error report is whole), and the caller's transaction is rolled back by ``finish``.

    Writes go in batches: the devices a batch names are created together (the year's devices
    of the body were read once at the start), the batch's strings are looked up once per
    import, and the strings' install counts move once, at the end."""

    def __init__(self, inventory: Inventory) -> None:
        self.inventory = inventory
        self.problems = Problems()
        self.devices: dict[str, Device] = {}
        self.counts: Counter[str] = Counter()
        self.whole: set[str] = set()
        self.pending: list[tuple[str, str, str, str]] = []
        self.earlier = {
            device.name: device
            for device in Device.objects.filter(body=inventory.body, year=inventory.year)
        }
        self.raw_ids: dict[tuple[str, str], int] = {}
        self.unmatched: set[int] = set()  # strings no rule names: only their counts move
        self.string_counts: Counter[int] = Counter()

    def add(self, chunk: Chunk) -> None:
        name = chunk.device[:200]
        if not name:
            self.problems.add(_("%(where)s: no device name.") % {"where": chunk.where})
            return
        if chunk.whole:
            if chunk.key in self.whole:
                self.problems.add(
                    _("%(where)s: device %(device)s is listed twice.")
                    % {"where": chunk.where, "device": name}
                )
                return
            self.whole.add(chunk.key)
        before = self.counts[name]
        self.counts[name] += len(chunk.installs)
        if self.counts[name] > MAX_INSTALLS_PER_DEVICE >= before:
            first_over = chunk.where_of(MAX_INSTALLS_PER_DEVICE - before)
            self.problems.add(
                _("%(where)s: device %(device)s has more than %(max)s programs installed.")
                % {"where": first_over, "device": name, "max": MAX_INSTALLS_PER_DEVICE}
            )
        for program, _publisher, _version in chunk.installs:
            if not program:
                self.problems.add(
                    _("%(where)s: a program of device %(device)s has no name.")
                    % {"where": chunk.where, "device": name}
                )
                return
        if self.problems:
            return
        for program, publisher, version in chunk.installs:
            self.pending.append((name, program[:300], publisher[:200], version[:100]))
        if len(self.pending) >= BATCH_INSTALLS:
            self._flush()

    def _devices(self, names: set[str]) -> None:
        """The batch's devices that this import has not met yet: new ones created together;
        one inventoried earlier this year loses what it had (the new inventory replaces it)."""
        inventory = self.inventory
        new, again = [], []
        for name in names - self.devices.keys():
            device = self.earlier.get(name)
            if device is None:
                device = Device(body=inventory.body, year=inventory.year, name=name)
                new.append(device)
            else:
                again.append(device)
            device.inventory = inventory
            self.devices[name] = device
        if again:
            ids = [device.pk for device in again]
            gone = Install.objects.filter(device_id__in=ids).values("raw").annotate(n=Count("id"))
            self.string_counts.update({row["raw"]: -row["n"] for row in gone})
            Install.objects.filter(device_id__in=ids).delete()
            Device.objects.filter(pk__in=ids).update(inventory=inventory)
        Device.objects.bulk_create(new, batch_size=500)

    def _flush(self) -> None:
        if not self.pending:
            return
        self._devices({device for device, _p, _b, _v in self.pending})
        keys = {(program, publisher) for _d, program, publisher, _v in self.pending}
        missing = keys - self.raw_ids.keys()
        if missing:
            self.raw_ids.update(string_ids(missing, self.unmatched))
        installs = [
            (self.devices[device].pk, self.raw_ids[(program, publisher)], version)
            for device, program, publisher, version in self.pending
        ]
        self.string_counts.update(raw_id for _d, raw_id, _v in installs)
        installs_write(installs)
        self.pending = []

    def finish(self) -> None:
        self.problems.check()
        self._flush()
        strings_count(
            {
                pk: count
                for pk, count in self.string_counts.items()
                if pk in self.unmatched or count < 0
            }
        )
        update_by_id(
            connection.ops.quote_name(Device._meta.db_table),
            "installs",
            {device.pk: self.counts[name] for name, device in self.devices.items()},
        )
