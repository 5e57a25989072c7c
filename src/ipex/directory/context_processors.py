from django.conf import settings

from ipex.core.freshness import kept
from ipex.directory.models import Node


def ipex(request):
    node = kept(
        "local-node-page",
        "",
        lambda: Node.objects.filter(is_local=True).only("name", "is_demo").first(),
    )
    return {
        "ipex_node": node,
        "ipex_node_name": node.name if node else settings.IPEX_NODE_NAME,
        "ipex_is_demo": bool(node and node.is_demo),
        "ipex_languages": [(code, name) for code, name in settings.LANGUAGES],
        "ipex_language_names": {"en": "English", "zh-hans": "中文", "ru": "Русский"},
    }
