from ipex.core.services import shared_record_create, shared_record_write
from ipex.directory.models import Node
from tests.memos.models import Memo


def memo_create(*, actor, owner_org, title, body="", distribution="org", sharing_group=None):
    memo = Memo(
        origin_node=Node.local(),
        owner_org=owner_org,
        title=title,
        body=body,
        distribution=distribution,
        sharing_group=sharing_group,
    )
    with shared_record_create(actor, memo, "memos.memo.created") as write:
        write.note(title=title)
    return memo


def memo_update(*, actor, memo, **values):
    with shared_record_write(actor, memo, "memos.memo.updated") as write:
        write.set(**values)
    return memo
