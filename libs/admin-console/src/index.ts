export { AdminConsoleModule } from './admin-console.module';
export { CONSOLE_CONTENT_SECURITY_POLICY } from './console-assets';
