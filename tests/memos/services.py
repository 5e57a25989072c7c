from django.db import transaction

from ipex.core.audit import as_actor, audit_log
from ipex.core.permissions import ensure_member_of
from ipex.core.services import shared_record_save, validate
from ipex.directory.models import Node
from tests.memos.models import Memo


def memo_create(*, actor, owner_org, title, body="", distribution="org", sharing_group=None):
    who = as_actor(actor)
    if who.user is not None:
        ensure_member_of(who.user, owner_org, allow_supervisors=False)
    memo = Memo(
        origin_node=Node.local(),
        owner_org=owner_org,
        title=title,
        body=body,
        distribution=distribution,
        sharing_group=sharing_group,
    )
    with transaction.atomic():
        validate(memo)
        memo.save()
        audit_log(who, "memos.memo.created", memo, {"title": title})
    return memo


def memo_update(*, actor, memo, **values):
    before = {k: getattr(memo, k) for k in values}
    for key, value in values.items():
        setattr(memo, key, value)
    with transaction.atomic():
        shared_record_save(
            actor=actor,
            record=memo,
            fields=list(values),
            action="memos.memo.updated",
            changes={k: [before[k], v] for k, v in values.items()},
        )
    return memo
