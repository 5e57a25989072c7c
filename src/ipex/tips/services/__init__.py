"""Tip-off and reward writes: one function per use case, transactional, audited.

- ``submission``: routing, the public submission, the files a tipster sends, the tipster's
  replies;
- ``triage``: what officers do with a tip (open, acknowledge, assess, ask, link a case, close)
  and the escalation of overdue tips;
- ``rewards``: ceilings, budgets, claim, propose, approve, pay, reject, the payout report;
- ``steps``: the steps by name, for the tip page and the API;
- ``detail``: what the tip page shows, its sealed parts opened (audited).

Reads are in ``ipex.tips.queries``; the few the services share with their callers are
re-exported here, so ``from ipex.tips import services; services.X`` works for every name.
"""

from ipex.tips import receipts  # noqa: F401 - callers reach the module as services.receipts
from ipex.tips.queries import cluster, first_reporter, tip_by_receipt, tipster_view
from ipex.tips.services.detail import tip_detail
from ipex.tips.services.rewards import (
    budget_committed,
    budget_for,
    is_reward_approver,
    payout_report,
    reward_approve,
    reward_ceiling,
    reward_claim,
    reward_invite,
    reward_pay,
    reward_payment_identity,
    reward_propose,
    reward_reject,
)
from ipex.tips.services.steps import REWARD_STEPS, STEPS, TIP_STEPS, tip_step
from ipex.tips.services.submission import (
    IMAGE_TYPES,
    MAX_TEXT,
    PUBLIC,
    TIP_FILE_TYPES,
    Incoming,
    attachment_bytes,
    attachment_file,
    attachment_name,
    files_dir,
    routable_jurisdictions,
    route,
    tip_submit,
    tipster_reply,
)
from ipex.tips.services.triage import (
    tip_acknowledge,
    tip_ask,
    tip_assess,
    tip_close,
    tip_link_case,
    tip_open,
    tip_open_quiet,
    tips_escalate_overdue,
)

__all__ = [
    "tip_detail",
    "IMAGE_TYPES",
    "MAX_TEXT",
    "PUBLIC",
    "REWARD_STEPS",
    "STEPS",
    "TIP_FILE_TYPES",
    "TIP_STEPS",
    "Incoming",
    "attachment_bytes",
    "attachment_file",
    "attachment_name",
    "budget_committed",
    "budget_for",
    "cluster",
    "files_dir",
    "first_reporter",
    "is_reward_approver",
    "payout_report",
    "reward_approve",
    "reward_ceiling",
    "reward_claim",
    "reward_invite",
    "reward_pay",
    "reward_payment_identity",
    "reward_propose",
    "reward_reject",
    "routable_jurisdictions",
    "route",
    "tip_acknowledge",
    "tip_ask",
    "tip_assess",
    "tip_by_receipt",
    "tip_close",
    "tip_link_case",
    "tip_open",
    "tip_open_quiet",
    "tip_step",
    "tip_submit",
    "tips_escalate_overdue",
    "tipster_reply",
    "tipster_view",
]
