// The app shell: subscribes to pushed snapshots, ticks the clock for heartbeat ages, routes #/ and #/preferences.
import { useEffect, useState } from "react";
import type { AppSnapshot } from "../../core/api";
import { type ConnectionProblem, onFocusSurface, subscribe } from "./api-client";
import { Popover } from "./components/popover";
import { Preferences } from "./components/preferences";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const on = () => setHash(window.location.hash);
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return hash;
}

export function App() {
  const [snapshot, setSnapshot] = useState<AppSnapshot | null>(null);
  const [problem, setProblem] = useState<ConnectionProblem>(null);
  const [now, setNow] = useState(Date.now());
  const hash = useHash();
  useEffect(() => subscribe(setSnapshot, setProblem), []);
  useEffect(
    () =>
      onFocusSurface((surface) => {
        if (window.location.hash === "#/preferences") return;
        document.querySelector(`[data-testid="surface-row-${CSS.escape(surface)}"]`)?.scrollIntoView({ block: "nearest" });
      }),
    [],
  );
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (hash === "#/preferences") return <Preferences />;
  if (snapshot === null)
    return (
      <main className="popover" data-testid="connection-state">
        {problem ?? "Connecting…"}
      </main>
    );
  return <Popover snapshot={snapshot} now={now} connectionProblem={problem} />;
}
