"""Chapter 11: releases -- the basestation release manifest for the bsc application."""
