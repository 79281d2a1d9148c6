# The environment colima-k8s-nix runs every colima and kubectl command in.
# Usable by hand too:  nix-shell   (then: colima start ..., kubectl get nodes, docker ps)
#
# nixpkgs is PINNED: ./nix/nixpkgs-pin.json names one revision of a stable
# release branch and its sha256; ./nix/pinned-nixpkgs.nix fetches it. The app
# keys its environment cache on the content of this file and of nix/*.nix and
# nix/*.json, so moving the pin (`colima-k8s toolchain update|rollback`)
# re-evaluates, and a channel update elsewhere does not.
# Your own nixpkgs instead:  nix-shell --arg pkgs 'import <nixpkgs> {}'
# Runtime docker (real docker CLI instead of the nerdctl wrapper):
#   nix-shell --argstr runtime docker
{ pkgs ? import (import ./nix/pinned-nixpkgs.nix) { config = { }; overlays = [ ]; }
, runtime ? "containerd"
}:
let
  # An alias in shellHook never reaches non-interactive shells or programs that
  # run commands (the app, scripts, `nix-shell --run`), so `docker` is a real
  # wrapper script: it runs `colima nerdctl --profile <p> -- <args>` with the
  # arguments intact, for the profile the app's terminal names (COLIMA_K8S_PROFILE),
  # else colima's own COLIMA_PROFILE, else colima's `default`.
  nerdctlDocker = pkgs.writeShellScriptBin "docker" ''
    exec colima nerdctl --profile "''${COLIMA_K8S_PROFILE:-''${COLIMA_PROFILE:-default}}" -- "$@"
  '';
  # colima's docker runtime runs the real docker CLI itself (contexts), so it
  # gets the real client; containerd gets the wrapper.
  docker = if runtime == "docker" then pkgs.docker-client else nerdctlDocker;
in
assert runtime == "containerd" || runtime == "docker";
pkgs.mkShellNoCC {
  packages = [ pkgs.colima pkgs.kubectl docker ]
    # Lima reaches its VMs over ssh; macOS has its own, most Linux hosts may not.
    ++ pkgs.lib.optionals pkgs.stdenv.isLinux [ pkgs.openssh ];
}
