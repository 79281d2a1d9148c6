# The environment colima-k8s-nix runs every colima and kubectl command in.
# Usable by hand too:  nix-shell   (then: colima start ..., kubectl get nodes, docker ps)
#
# Pin nixpkgs here (e.g. fetchTarball of a release) to make the toolchain exact;
# the app keys its environment cache on this file's content and on the <nixpkgs>
# it resolves, so editing it triggers a re-evaluation.
{ pkgs ? import <nixpkgs> { } }:
let
  # An alias in shellHook never reaches non-interactive shells or programs that
  # run commands (the app, scripts, `nix-shell --run`), so `docker` is a real
  # wrapper script: it runs `colima nerdctl -- <args>` with the arguments intact.
  docker = pkgs.writeShellScriptBin "docker" ''
    exec colima nerdctl -- "$@"
  '';
in
pkgs.mkShell {
  packages = [ pkgs.colima pkgs.kubectl docker ];
}
