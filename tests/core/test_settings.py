"""Settings from the environment fail fast and clearly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run_settings(env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IPEX_", "DATABASE_URL"))}
    base.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import ipex.settings"],
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_debug_off_without_secret_key_refuses_to_start(tmp_path):
    result = run_settings({"IPEX_DEBUG": "false", "IPEX_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "IPEX_SECRET_KEY (or IPEX_SECRET_KEY_FILE) must be set" in result.stderr


def test_debug_off_with_development_key_refuses_to_start(tmp_path):
    result = run_settings(
        {
            "IPEX_DEBUG": "false",
            "IPEX_SECRET_KEY": "insecure-abc" * 5,
            "IPEX_ALLOWED_HOSTS": "x.org",
            "IPEX_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "development key" in result.stderr


def test_secret_key_from_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 20 + "-production-key-from-a-file-123\n")
    result = run_settings(
        {
            "IPEX_DEBUG": "false",
            "IPEX_SECRET_KEY_FILE": str(key_file),
            "IPEX_ALLOWED_HOSTS": "ipex.example.org",
            "IPEX_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode == 0, result.stderr


def test_unreadable_secret_file_is_named(tmp_path):
    result = run_settings(
        {
            "IPEX_DEBUG": "false",
            "IPEX_SECRET_KEY_FILE": str(tmp_path / "missing"),
            "IPEX_DATA_DIR": str(tmp_path),
        }
    )
    assert result.returncode != 0
    assert "IPEX_SECRET_KEY_FILE" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_is_refused(tmp_path, value):
    result = run_settings({"IPEX_DEBUG": value, "IPEX_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


def test_production_hasher_is_argon2():
    from ipex import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IPEX_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "IPEX_DEBUG": "false",
            "IPEX_SECRET_KEY": "p" * 30 + "-real-production-key-xyz-987",
            "IPEX_ALLOWED_HOSTS": "ipex.example.org",
            "IPEX_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "ipex.settings",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "ipex", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_offline_commands_run_without_a_key_but_serving_refuses(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("IPEX_")
        and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env["IPEX_DATA_DIR"] = str(tmp_path)
    offline = subprocess.run(
        [sys.executable, "-m", "ipex", "makemigrations", "--check", "--dry-run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert offline.returncode == 0, offline.stderr
    assert "No changes detected" in offline.stdout
    serving = subprocess.run(
        [sys.executable, "-m", "ipex", "runserver", "--noreload", "127.0.0.1:0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert serving.returncode != 0
    assert "IPEX_SECRET_KEY (or IPEX_SECRET_KEY_FILE) must be set" in serving.stderr


def test_postgresql_connections_run_without_jit_and_price_random_reads_as_on_ssd(tmp_path):
    code = "import ipex.settings as s; print(s.DATABASES['default']['OPTIONS']['options'])"
    base = {k: v for k, v in os.environ.items() if not k.startswith(("IPEX_", "DATABASE_URL"))}
    url = "postgres://ipex@127.0.0.1:5432/ipex?options=-c%20work_mem%3D64MB"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "IPEX_DEBUG": "true", "IPEX_DATA_DIR": str(tmp_path), "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # IPEX's settings first; what the operator gave in DATABASE_URL comes after, and wins.
    assert result.stdout.strip() == "-c jit=off -c random_page_cost=1.1 -c work_mem=64MB"
