// Renderer entry: the popover and preferences render here and talk to the core only through the typed API.
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { forgetTokenInUrl } from "./api-client";
import { App } from "./app";
import "./styles.css";

forgetTokenInUrl();
const root = document.getElementById("root");
if (root !== null)
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
