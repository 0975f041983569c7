"""Running the platform for every region (platformbeheer): a new partnership with its first procesbewaker (an
invitation with a set-password link), archiving one, and the activity of each partnership in counts only, for the
platform operator (``permissions.can_operate_platform``), who reads no content of any partnership."""
