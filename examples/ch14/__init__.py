"""Chapter 14 (Systems That Never Stop): data strategies and failover on simulated nodes."""
