// Entry point: created by the tray-app work (issue 4).
export {};
