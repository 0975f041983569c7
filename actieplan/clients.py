"""Who the client is, for throttling only: the real address behind a trusted proxy, never a header anyone can set.

Behind the TLS proxy the production shape expects, every request comes from the proxy's address: keyed on that,
one pupil's wrong passwords locked out a whole school, and anyone could lock out any account. ``X-Forwarded-For``
alone is worse: a client writes into it whatever it likes. So the header is read only when the request really
comes from one of ``LOB_TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1`` or ``10.0.0.0/8``), and then
from the right: the first address that is not a trusted proxy is the client. Used by the login lockout
(django-axes), the password-reset limit and the reflection's limit (counted in ``actieplan.ratelimits`` under a
keyed hash); nothing stores the address.
"""

import ipaddress

from actieplan.conf import app_settings


def _networks():
    networks = []
    for entry in app_settings.LOB_TRUSTED_PROXIES or []:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _address(text):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks):
    return address is not None and any(address in network for network in networks)


def client_address(request):
    """The client's address as text ("onbekend" when there is none)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    networks = _networks()
    if not networks or not _trusted(_address(remote), networks):
        return remote or "onbekend"
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for part in reversed(forwarded):
        address = _address(part)
        if address is None:
            break  # a malformed entry: everything left of it is the client's own writing
        if not _trusted(address, networks):
            return str(address)
    return remote or "onbekend"


def login_address(request):
    """The client's address for django-axes (``AXES_CLIENT_IP_CALLABLE``), which stores it in an IP field: None
    when the request has none (a login without a client, such as the test client's ``force_login``), where
    PostgreSQL would refuse the text "onbekend"."""
    address = client_address(request)
    return address if _address(address) is not None else None
