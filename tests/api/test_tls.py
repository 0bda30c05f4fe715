# test_tls.py -- `directline serve --tls-cert --tls-key` serves HTTPS itself, and the
# session cookie follows the scheme: over HTTPS (TLS here, or a trusted proxy's
# X-Forwarded-Proto: https) it is __Host-directline_session with Secure; over plain HTTP
# it stays directline_session without Secure, and an untrusted peer cannot claim HTTPS.
# TLS 1.0 and 1.1 are refused.

import os
import socket
import ssl
import subprocess

import pytest
import requests

from conftest import Server
from dlapi import DEMO_PASSWORD, assert_json, assert_problem

CREDENTIALS = {"login": "ht.th001", "password": DEMO_PASSWORD}


class TlsServer(Server):
    @property
    def base_url(self):
        return f"https://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                    "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


@pytest.fixture(scope="module")
def https(app, cert, tmp_path_factory):
    cert_path, key_path = cert
    saved = os.environ.get("REQUESTS_CA_BUNDLE")
    os.environ["REQUESTS_CA_BUNDLE"] = str(cert_path)   # for the harness's /healthz probe
    server = TlsServer(app.app_url, tmp_path_factory.mktemp("https"), extra_args=[
        "--tls-cert", str(cert_path), "--tls-key", str(key_path)]).start()
    try:
        yield server
    finally:
        problems = server.stop()
        if saved is None:
            os.environ.pop("REQUESTS_CA_BUNDLE", None)
        else:
            os.environ["REQUESTS_CA_BUNDLE"] = saved
        assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def proxied(app, tmp_path_factory):
    """Plain HTTP, but 127.0.0.1 is a trusted proxy (TLS ends in front of it)."""
    server = Server(app.app_url, tmp_path_factory.mktemp("proxied"),
                    extra_env={"DIRECTLINE_TRUSTED_PROXIES": "127.0.0.1"}).start()
    yield server
    problems = server.stop()
    assert not problems, "\n".join(problems)


def cookie_parts(r):
    raw = r.headers.get("Set-Cookie")
    assert raw, f"no Set-Cookie: {r.headers}"
    name_value, *attrs = [p.strip() for p in raw.split(";")]
    return name_value, set(attrs)


def sign_in(base_url, cert=None, headers=None):
    r = requests.post(base_url + "/api/session", json=CREDENTIALS, headers=headers or {},
                      verify=str(cert) if cert else True, timeout=60)
    return assert_json(r, 200), r


# --------------------------------------------------------------------------- HTTPS

def test_health_and_me_over_https(https, cert):
    verify = str(cert[0])
    r = requests.get(https.base_url + "/healthz", verify=verify, timeout=10)
    assert r.status_code == 200
    assert_problem(requests.get(https.base_url + "/api/me", verify=verify, timeout=10), 401)
    body, _ = sign_in(https.base_url, cert[0])
    me = requests.get(https.base_url + "/api/me", verify=verify, timeout=10,
                      headers={"Authorization": f"Bearer {body['token']}"})
    assert assert_json(me, 200)["login"] == "ht.th001"


def test_plain_http_on_the_tls_port_gets_no_answer(https):
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{https.port}/healthz", timeout=5)


def test_https_cookie_is_host_prefixed_and_secure(https, cert):
    verify = str(cert[0])
    body, r = sign_in(https.base_url, cert[0])
    name_value, attrs = cookie_parts(r)
    assert name_value == f"__Host-directline_session={body['token']}"
    assert attrs == {"Secure", "HttpOnly", "SameSite=Strict", "Path=/"}, attrs
    # The cookie of this scheme opens the session; the plain-HTTP name does not.
    me = requests.get(https.base_url + "/api/me", verify=verify, timeout=10,
                      headers={"Cookie": f"__Host-directline_session={body['token']}"})
    assert assert_json(me, 200)["login"] == "ht.th001"
    plain = requests.get(https.base_url + "/api/me", verify=verify, timeout=10,
                         headers={"Cookie": f"directline_session={body['token']}"})
    assert_problem(plain, 401)
    # Signing out forgets the same cookie.
    out = requests.delete(https.base_url + "/api/session", verify=verify, timeout=10,
                          headers={"Authorization": f"Bearer {body['token']}"})
    assert out.status_code == 204
    name_value, attrs = cookie_parts(out)
    assert name_value == "__Host-directline_session="
    assert {"Secure", "Max-Age=0", "Path=/"} <= attrs


def handshake(port, cert, version):
    """The TLS version a client limited to `version` agreed on with the server, or the
    SSLError's text when the server refused it."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(str(cert))
    ctx.minimum_version = ctx.maximum_version = version
    if version < ssl.TLSVersion.TLSv1_2:
        ctx.set_ciphers("DEFAULT:@SECLEVEL=0")   # OpenSSL 3 allows TLS 1.1 only so
    with socket.create_connection(("127.0.0.1", port), timeout=10) as raw:
        try:
            with ctx.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                return tls.version()
        except ssl.SSLError as e:
            return f"refused: {e}"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")   # TLSVersion.TLSv1_1 itself
def test_tls_before_1_2_is_refused(https, cert):
    assert handshake(https.port, cert[0], ssl.TLSVersion.TLSv1_2) == "TLSv1.2"
    assert handshake(https.port, cert[0], ssl.TLSVersion.TLSv1_3) == "TLSv1.3"
    # This client can speak TLS 1.1 at all: it does with a server that allows it.
    old = subprocess.Popen(["openssl", "s_server", "-accept", "0", "-naccept", "1",
                            "-cert", str(cert[0]), "-key", str(cert[1]), "-tls1_1",
                            "-cipher", "DEFAULT:@SECLEVEL=0"], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, stdin=subprocess.PIPE, text=True)
    # (s_server stops at the end of its input: the pipe stays open until the end.)
    try:
        line = ""
        while not line.startswith("ACCEPT"):   # "ACCEPT 0.0.0.0:PORT" (or [::]:PORT)
            line = old.stdout.readline()
            assert line, "openssl s_server did not start"
        port = int(line.rsplit(":", 1)[1])
        assert handshake(port, cert[0], ssl.TLSVersion.TLSv1_1) == "TLSv1.1"
    finally:
        old.kill()
        old.communicate()
    refused = handshake(https.port, cert[0], ssl.TLSVersion.TLSv1_1)
    assert refused.startswith("refused"), refused
    assert handshake(https.port, cert[0], ssl.TLSVersion.TLSv1).startswith("refused")


# --------------------------------------------------------------------------- behind a proxy

def test_plain_http_cookie_has_no_prefix_and_no_secure(app):
    body, r = sign_in(app.base_url)
    name_value, attrs = cookie_parts(r)
    assert name_value == f"directline_session={body['token']}"
    assert "Secure" not in attrs
    me = requests.get(app.url("/api/me"), timeout=10,
                      headers={"Cookie": f"directline_session={body['token']}"})
    assert assert_json(me, 200)["login"] == "ht.th001"


def test_an_untrusted_peer_cannot_claim_https(app):
    _, r = sign_in(app.base_url, headers={"X-Forwarded-Proto": "https"})
    name_value, attrs = cookie_parts(r)
    assert name_value.startswith("directline_session=") and "Secure" not in attrs


def test_a_trusted_proxy_forwarding_https_gets_the_secure_cookie(proxied):
    body, r = sign_in(proxied.base_url, headers={"X-Forwarded-Proto": "https"})
    name_value, attrs = cookie_parts(r)
    assert name_value == f"__Host-directline_session={body['token']}"
    assert "Secure" in attrs
    me = requests.get(proxied.base_url + "/api/me", timeout=10,
                      headers={"X-Forwarded-Proto": "https",
                               "Cookie": f"__Host-directline_session={body['token']}"})
    assert assert_json(me, 200)["login"] == "ht.th001"
    # The same proxy forwarding plain HTTP: the plain cookie.
    _, r = sign_in(proxied.base_url, headers={"X-Forwarded-Proto": "http"})
    assert cookie_parts(r)[0].startswith("directline_session=")
