"""Across two real nodes (two server processes on loopback, each with its own database, set
up by scripts/demo-federation.sh): on CN, a liaison officer shares a case with a group that
includes Russian customs; on RU, a customs officer sees it read-only with its origin shown
and answers the attached request for assistance; the answer shows on CN; an RU officer
outside the group gets 404. And the joint CN–RU operation: a seizure linked on RU raises the
combined figure on CN. And an agreement recorded on CN's page reaches the RU party."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
IPEX = ROOT / ".venv" / "bin" / "ipex"
PASSWORD = "Demo-IPEX-2013"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_databases() -> dict[str, str]:
    """When the suite runs on PostgreSQL, each node gets a fresh database of its own."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return {}
    import psycopg

    urls = {}
    base = url.rsplit("/", 1)[0]
    with psycopg.connect(url, autocommit=True) as connection:
        for name in ("cn", "ru"):
            database = f"ipex_federation_test_{name}"
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{database}"')
            urls[f"IPEX_{name.upper()}_DATABASE_URL"] = f"{base}/{database}"
    return urls


@pytest.fixture(scope="module")
def two_nodes(tmp_path_factory, _async_unsafe_orm):
    data = tmp_path_factory.mktemp("federation")
    ports = {"cn": free_port(), "ru": free_port()}
    # The nodes run with their own settings, not the test suite's.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("IPEX_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env = {
        **clean,
        "IPEX": str(IPEX),
        "IPEX_FEDERATION_DIR": str(data),
        "IPEX_CN_PORT": str(ports["cn"]),
        "IPEX_RU_PORT": str(ports["ru"]),
        "IPEX_DEMO_SETUP_ONLY": "1",
        "IPEX_DEMO_UNSHARED_CASE": "1",
        **_postgres_databases(),
    }
    setup = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo-federation.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    case_uuid = re.search(r"case ([0-9a-f-]{36})", setup.stdout).group(1)
    operation = re.search(r"operation ([0-9a-f-]{36})", setup.stdout).group(1)
    seizure = re.search(r"seizure ([0-9a-f-]{36})", setup.stdout).group(1)
    for port in ports.values():  # the script stopped its servers: nothing answers there now
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) != 0, f"still served: {port}"

    def node_env(name):
        url = env.get(f"IPEX_{name.upper()}_DATABASE_URL")
        result = {
            **{k: v for k, v in env.items() if k != "DATABASE_URL"},
            "IPEX_DEBUG": "true",
            "IPEX_DATA_DIR": str(data / name),
            "IPEX_BASE_URL": f"http://127.0.0.1:{ports[name]}",
            "IPEX_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        if url:
            result["DATABASE_URL"] = url
        return result

    servers = [
        subprocess.Popen(
            [str(IPEX), "runserver", f"127.0.0.1:{ports[name]}", "--noreload"],
            env=node_env(name),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in ("cn", "ru")
    ]
    for port in ports.values():
        for _ in range(120):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.25)

    def sync(name):
        done = subprocess.run(
            [str(IPEX), "sync"], env=node_env(name), capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    yield {
        "cn": f"http://127.0.0.1:{ports['cn']}",
        "ru": f"http://127.0.0.1:{ports['ru']}",
        "case": case_uuid,
        "operation": operation,
        "seizure": seizure,
        "sync": sync,
    }
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


def sign_in(page, url, email):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("#login-submit").click()


def test_a_shared_case_and_its_request_across_two_nodes(two_nodes, new_page):
    cn, ru, case = two_nodes["cn"], two_nodes["ru"], two_nodes["case"]

    # On CN, the liaison officer shares the case with the group that includes RU customs.
    liaison = new_page()
    sign_in(liaison, cn, "liaison@mps.demo")
    liaison.goto(f"{cn}/cases/{case}/")
    liaison.locator("#share summary").click()
    liaison.locator("#share-distribution").select_option("group")
    liaison.locator("#share-group").select_option(label="CN–RU optical-disc network (synthetic)")
    liaison.locator("#share-submit").click()
    assert "CN–RU optical-disc network" in liaison.locator("#share summary").inner_text()
    assert "1 applied" in two_nodes["sync"]("ru")

    # On RU, a customs officer sees it read-only, with where it comes from.
    customs = new_page()
    sign_in(customs, ru, "officer@fcs.demo")
    customs.goto(f"{ru}/cases/{case}/")
    banner = customs.locator("#replica-banner").inner_text()
    assert "China national node (demo)" in banner and "Ministry of Public Security" in banner
    assert customs.locator("#h-next").count() == 0 and customs.locator("#share").count() == 0

    # ...and answers the request for assistance attached to it.
    customs.locator("#case-requests a").first.click()
    assert customs.locator("#request-status").inner_text() == "Sent"
    customs.locator("#request-reply").fill("Two importers in Vladivostok took the containers.")
    customs.locator("#request-answer").click()
    assert customs.locator("#request-status").inner_text() == "Answered"
    request_url = customs.url.replace(ru, cn)

    # The answer shows on CN.
    two_nodes["sync"]("cn")
    liaison.goto(request_url)
    assert liaison.locator("#request-status").inner_text() == "Answered"
    assert "Two importers in Vladivostok" in liaison.locator("#request-messages").inner_text()

    # An RU officer outside the group gets 404.
    police = new_page()
    sign_in(police, ru, "officer@mvd.demo")
    assert police.goto(f"{ru}/cases/{case}/").status == 404
    for page in (liaison, customs, police):
        assert page.outside_requests == []


def test_a_seizure_linked_on_ru_raises_the_combined_figure_on_cn(two_nodes, new_page):
    cn, ru, operation = two_nodes["cn"], two_nodes["ru"], two_nodes["operation"]

    # On RU, a customs officer links the service's own seizure to the joint operation.
    customs = new_page()
    sign_in(customs, ru, "officer@fcs.demo")
    customs.goto(f"{ru}/cooperation/joint-operations/{operation}/")
    customs.locator("#link-kind").select_option("seizure")
    customs.locator("#link-record").fill(two_nodes["seizure"])
    customs.locator('#link-form button[value="link"]').click()
    assert "4000" in customs.locator("#combined-total").inner_text()

    # On CN, the liaison officer sees the combined figure, labelled with RU customs and fresh.
    two_nodes["sync"]("cn")
    liaison = new_page()
    sign_in(liaison, cn, "liaison@mps.demo")
    liaison.goto(f"{cn}/cooperation/joint-operations/{operation}/")
    assert "4000" in liaison.locator("#combined-total").inner_text()
    russian = liaison.locator('[data-organisation="RU-FCS"]').inner_text()
    assert "Federal Customs Service" in russian and "current" in russian

    # An officer of an organisation that does not take part gets 404.
    police = new_page()
    sign_in(police, ru, "officer@mvd.demo")
    assert police.goto(f"{ru}/cooperation/joint-operations/{operation}/").status == 404
    for page in (customs, liaison, police):
        assert page.outside_requests == []


def test_an_agreement_recorded_on_the_cn_page_reaches_the_ru_party(two_nodes, new_page):
    cn, ru = two_nodes["cn"], two_nodes["ru"]

    # On CN, the liaison officer records a protocol with Russia's customs from the page.
    liaison = new_page()
    sign_in(liaison, cn, "liaison@mps.demo")
    liaison.goto(f"{cn}/cooperation/agreements/")
    liaison.get_by_role("link", name="New agreement").click()
    liaison.locator("#id_parties").fill("RU-FCS")
    liaison.locator("#id_title").fill("Protocol on disc shipments (browser test)")
    liaison.locator("#id_kind").select_option("protocol")
    liaison.locator("#id_signed_on").fill("2013-07-29")
    liaison.locator("#id_starts_on").fill("2013-08-01")
    liaison.locator("#id_ends_on").fill("2013-07-01")  # before it starts: refused, kept typed
    liaison.locator("#id_documents").fill("ru; Протокол; https://example.org/protocol-ru.pdf")
    liaison.get_by_role("button", name="Save").click()
    assert (
        "The term cannot end before it starts."
        in liaison.locator("#id_ends_on_errors").inner_text()
    )
    liaison.locator("#id_ends_on").fill("2016-07-31")
    liaison.get_by_role("button", name="Save").click()
    assert liaison.locator("h1").inner_text() == "Protocol on disc shipments (browser test)"
    agreement = liaison.url.rstrip("/").rsplit("/", 1)[-1]

    # On RU, after the exchange, the customs officer reads it, with its Russian document.
    two_nodes["sync"]("ru")
    customs = new_page()
    sign_in(customs, ru, "officer@fcs.demo")
    customs.goto(f"{ru}/cooperation/agreements/{agreement}/")
    assert customs.locator("h1").inner_text() == "Protocol on disc shipments (browser test)"
    assert customs.get_by_role("link", name="Протокол").get_attribute("href") == (
        "https://example.org/protocol-ru.pdf"
    )
    # An RU officer of an organisation that is no party gets 404.
    police = new_page()
    sign_in(police, ru, "officer@mvd.demo")
    assert police.goto(f"{ru}/cooperation/agreements/{agreement}/").status == 404
    for page in (liaison, customs, police):
        assert page.outside_requests == []
