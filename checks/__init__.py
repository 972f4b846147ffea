"""Build hooks and checks for the AKS network models site."""
