"""The login brake: repeated failures for one account lock it for that address."""

from django.test import Client

GOOD = "a long test passphrase 42"


def _login(client: Client, address: str, email: str, password: str) -> bool:
    response = client.post(
        "/login/", {"username": email, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code == 302


def test_repeated_failures_lock_the_account_for_that_address(editor, settings):
    settings.ALLMENDE_LOGIN_ATTEMPTS = 3
    for _ in range(3):
        assert not _login(Client(), "192.0.2.7", editor.email, "wrong")
    # Even the right password is refused while the brake holds ...
    assert not _login(Client(), "192.0.2.7", editor.email, GOOD)
    # ... but only for that address.
    assert _login(Client(), "192.0.2.8", editor.email, GOOD)


def test_a_successful_login_resets_the_count(editor, settings):
    settings.ALLMENDE_LOGIN_ATTEMPTS = 3
    for _ in range(2):
        assert not _login(Client(), "192.0.2.9", editor.email, "wrong")
    assert _login(Client(), "192.0.2.9", editor.email, GOOD)
    for _ in range(2):
        assert not _login(Client(), "192.0.2.9", editor.email, "wrong")
    assert _login(Client(), "192.0.2.9", editor.email, GOOD)
