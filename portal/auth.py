from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """Samvirke is a closed portal: administrators create accounts; nobody signs up."""

    def is_open_for_signup(self, request):
        return False
