// Renderer entry (skeleton): the popover and preferences windows render here through the typed API only.
export function rendererTitle(): string {
  return "Otto Tray";
}
