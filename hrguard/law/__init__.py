"""Statutory rules: pure functions and constants, each citing its article (no Django, no DB).

Modules:
- ``citations``: Citation / Violation types and the statute titles (zh/en).
- ``ids``: identity document numbers (GB 11643-1999).
- ``employment``: minimum working age (Labor Law Art. 15).
- ``contracts``: contract types, probation limits and wage floor (Labor Contract Law Art. 19/20).
- ``termination``: grounds catalog (Art. 36–44), Art. 42 protections, notice periods (Art. 37/40), separation
  certificate (Regulation Art. 24), post-termination duties (Art. 50).
- ``renewal``: fixed-term expiry — end (Art. 44/45), compensation (46(5)), open-ended renewal (14), double wage
  of working on without a written contract (82, Reg. Art. 7).
- ``compensation``: economic compensation N (Art. 46/47), N+1 (Art. 40), 2N (Art. 87), pre-2008 split (Art. 97).
- ``leave``: paid annual leave (Regulation Art. 3/4, Measures Art. 5/12), maternity leave (Special Rules Art. 7).
- ``hours``: working hours and overtime (Labor Law Art. 36/38/41/44), wage conversion (21.75 days).
- ``disputes``: arbitration time bar (LDMAL Art. 27) and Civil Code period arithmetic.
- ``noncompete``: non-compete (Art. 23/24, SPC interpretations).
- ``retention``: minimum record retention periods.
- ``privacy``: PIPL consent rules, credit check consent.
- ``social_insurance``: enrollment/reporting deadlines, late surcharge, configurable local removal cut-off.
- ``catalog``: ``all_citations()`` — every citation above in one list.
"""
