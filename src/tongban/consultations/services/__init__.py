"""Writes of 意见征集 and 在线访谈: ``consultations`` (the draft text, its sections and files, the period,
publishing and the 采纳情况 result), ``interviews`` (scheduling, the transcript) and ``comments`` (the
one moderation service both use: submitting, screening, holding, approving, rejecting, answering)."""
