import { FailedMessagesController } from '@korpu/failed-messages';
import { OPERATORS_CONTROLLERS, undeclaredAdminRoutes } from '@korpu/operators';
import { OperationalRecordsController } from '@korpu/operational-monitoring';
import { AccessRightsController } from './access-rights.controller';
import { InventoryController } from './inventory.controller';

describe('the admin API of the gateway', () => {
  it('guards every route with AdminGuard and declares what each needs', () => {
    expect(undeclaredAdminRoutes([FailedMessagesController, AccessRightsController, InventoryController, OperationalRecordsController, ...OPERATORS_CONTROLLERS])).toEqual([]);
  });

  it('notices a route that declares nothing', () => {
    class Careless {
      route(): void {}
    }
    Reflect.defineMetadata('path', 'v1/admin/careless', Careless);
    Reflect.defineMetadata('method', 0, Careless.prototype.route);
    expect(undeclaredAdminRoutes([Careless])).toEqual([expect.stringContaining('Careless.route (v1/admin/careless/): not guarded')]);
  });
});
