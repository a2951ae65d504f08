"""Tests of the Paycor sandbox itself (paycor_sandbox)."""
