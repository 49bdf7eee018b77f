// App services started by a test file, each stopped after its test: one helper for the app-service test files.
import { afterEach } from "vitest";
import { AppService } from "../core/app-service";

const services: AppService[] = [];
afterEach(async () => {
  for (const s of services.splice(0)) await s.stop();
});

/** Starts an AppService with an empty environment (nothing leaks in from the shell running the tests). */
export async function startedService(options: ConstructorParameters<typeof AppService>[0]): Promise<AppService> {
  const service = new AppService({ ...options, env: {} });
  services.push(service);
  await service.start();
  return service;
}
