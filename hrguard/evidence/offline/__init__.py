"""Standalone offline verification of HRGuard evidence packages (standard library + cryptography only).

``python -m hrguard.evidence.offline.verify PACKAGE.zip`` or, from inside an unpacked package,
``python3 verify.py PACKAGE.zip`` (the single file ``bundle.script()`` makes of these modules).
Nothing in this package may import Django or other HRGuard modules.
"""
