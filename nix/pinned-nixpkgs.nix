# The nixpkgs source shell.nix uses by default: the revision in ./nixpkgs-pin.json
# (npins/niv style), fetched once and checked against its sha256 (the NAR hash of
# the unpacked tarball, as `nix-prefetch-url --unpack <url>` prints it).
# Evaluates to the store path of that source. `colima-k8s toolchain update`
# moves the pin; `colima-k8s toolchain rollback` restores the previous one.
let
  pin = builtins.fromJSON (builtins.readFile ./nixpkgs-pin.json);
in
builtins.fetchTarball { inherit (pin) url sha256; }
