from django.apps import AppConfig


class MemosConfig(AppConfig):
    name = "tests.memos"
    label = "memos"
