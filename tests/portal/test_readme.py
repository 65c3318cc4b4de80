"""The README stays true: it lists every demo account and the commands CI runs."""

from pathlib import Path

from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET

ROOT = Path(__file__).resolve().parents[2]


def test_readme_lists_the_demo_accounts():
    readme = (ROOT / "README.md").read_text()
    for account in DEMO_ACCOUNTS:
        assert f"`{account['email']}`" in readme, account["email"]
    assert DEMO_PASSWORD in readme and DEMO_TOTP_SECRET in readme


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "./samvirke test" in readme
    assert "./samvirke test" in (ROOT / ".ci" / "run").read_text()
