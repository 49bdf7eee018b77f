// Side-effect imports of styles, bundled by Vite.
declare module "*.css";
