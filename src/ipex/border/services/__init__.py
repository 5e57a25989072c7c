"""Writes of customs protection of rights: one function per use case, each through the
shared-record write path.

- ``recordations``: apply, record, refuse, renew, withdraw, photos; the deadline rules;
- ``detentions``: record a suspended release, notify the holders, their answers, the daily
  release of what was not answered in time.

Every name is re-exported here, so ``from ipex.border import services; services.X`` works.
"""

from ipex.border.services.abroad import detention_alert, notice_answer, notice_send
from ipex.border.services.detentions import (
    detention_answer,
    detention_close,
    detention_record,
    detention_remind,
    detentions_release_due,
    detentions_to_remind,
)
from ipex.border.services.recordations import (
    answer_deadline,
    deadline_rule_save,
    photo_path,
    photos_dir,
    recordation_add_photos,
    recordation_apply,
    recordation_record,
    recordation_refuse,
    recordation_renew,
    recordation_withdraw,
    rule_for,
)

__all__ = [
    "detention_alert",
    "notice_answer",
    "notice_send",
    "answer_deadline",
    "deadline_rule_save",
    "detention_answer",
    "detention_close",
    "detention_record",
    "detention_remind",
    "detentions_release_due",
    "detentions_to_remind",
    "photo_path",
    "photos_dir",
    "recordation_add_photos",
    "recordation_apply",
    "recordation_record",
    "recordation_refuse",
    "recordation_renew",
    "recordation_withdraw",
    "rule_for",
]
