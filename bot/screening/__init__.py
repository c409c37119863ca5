"""Screening: catch fake, flooded and grudge reports before they reach officers, and say why.

signals.py (pure signals) → decision.py (score, outcome, reasons) ← facts gathered by
storage/screening.py; service.py is the one entry point the live submit and the replay share.
"""
