"""The web face, on top of every domain: home page, navigation, sign-in, and the ``run``/``demo`` commands."""
