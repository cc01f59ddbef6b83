"""Use cases: each public function is one transaction taking the acting user."""
