// Renderer entry: the popover and preferences render here and talk to the core only through the typed API.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app";
import { takeTokenFromUrl } from "./dashboard-token";
import "./styles.css";

takeTokenFromUrl();
// The printed URL pasted into a tab already showing the dashboard only changes the hash: take the token and start over.
window.addEventListener("hashchange", () => {
  if (takeTokenFromUrl()) window.location.reload();
});
const root = document.getElementById("root");
if (root !== null)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
