"""``portals check --live`` following a portal's move from http to https: a farm portal served over TLS on
127.0.0.1 with a certificate made for the test, its old http home answering 301. The check records the
final https origin and whether the certificate verified; a chain it cannot verify (the issuer unknown,
as on county portals that leave out their intermediate) is recorded, not an error."""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from crawler.registry import Portal, portal_entry
from sampleportal.farm.farmfile import build_apps, regional_entries
from sampleportal.farm.server import FarmServer
from tests.support.cli import run_cli

DEQING = "330521"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA (ca.pem) and a certificate it signed for localhost and 127.0.0.1 (cert.pem, key.pem)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("nianbao test CA")).issuer_name(_name("nianbao test CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder().subject_name(_name("localhost")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "cert.pem", folder / "key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))  # the leaf alone: no chain sent
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


@pytest.fixture(scope="module")
def moved_to_https(tmp_path_factory):
    """(root, CA file, old http home, new https origin, the portal's family) with both servers running."""
    root = tmp_path_factory.mktemp("https")
    ca, cert, key = certificates(root)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert, key)
    (entry,) = regional_entries([DEQING])
    with FarmServer(build_apps([{**entry, "host": "localhost"}], 7, 1, range(2020, 2022)), tls=tls) as secure:
        origin = f"https://localhost:{urlsplit(secure.url).port}"
        old = {"name": "old", "host": "127.0.0.1", "app": "sampleportal.farm.moves:MovedHost", "moved_to": origin}
        with FarmServer(build_apps([old], 7, 1, range(2020, 2022))) as plain:
            home = f"http://127.0.0.1:{urlsplit(plain.url).port}/"
            registry = root / "r.toml"
            registry.write_text(portal_entry(Portal(DEQING, home, DEQING, ("127.0.0.1",))), encoding="utf-8")
            yield root, registry, ca, home, origin, entry["family"]


def live_check(registry: Path, archive: Path, env: dict[str, str] | None = None):
    result = run_cli("portals", "check", "--live", "--registry", str(registry), "--region", DEQING,
                     "--archive", str(archive), "--timeout", "10", env=env)
    saved = json.loads((archive / "state" / "checks" / f"{DEQING}.json").read_text(encoding="utf-8"))
    return result, saved


def test_a_move_to_https_with_an_unverifiable_chain_is_recorded_not_failed(moved_to_https):
    root, registry, _, home, origin, family = moved_to_https
    result, saved = live_check(registry, root / "a")
    assert result.returncode == 0, result.stderr
    (row,) = [line.split("\t") for line in result.stdout.splitlines()]
    assert row[:5] == [DEQING, "moved", "200", f"{origin}/", family]
    assert saved["final_url"] == f"{origin}/" and saved["answers"][0]["redirects"] == [home]
    assert saved["certificate"] == "not verified: unable to get local issuer certificate"
    assert "1 https certificate not verified" in result.stderr


def test_a_certificate_that_verifies_says_so(moved_to_https):
    root, registry, ca, _, origin, family = moved_to_https
    result, saved = live_check(registry, root / "b", env={"SSL_CERT_FILE": str(ca)})
    assert result.returncode == 0, result.stderr
    assert (saved["outcome"], saved["final_url"], saved["family"]) == ("moved", f"{origin}/", family)
    assert saved["certificate"] == "verified" and saved["answers"][0]["certificate"] == "verified"
    assert "not verified" not in result.stderr
