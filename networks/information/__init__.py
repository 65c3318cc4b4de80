"""Information down: messages from offices, national bodies and KS to municipalities,
with read receipts, questions and answers (issue 12)."""
