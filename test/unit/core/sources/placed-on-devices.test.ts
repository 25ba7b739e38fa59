import type { Entity } from '../../../../functions/core/model.js';
import { placedOnDevices } from '../../../../functions/core/sources/aws-finding.js';

const INSTANCE = 'i-0123456789abcdef0';
const device: Entity = {
  kind: 'device',
  id: INSTANCE,
  verdict: 'suspicious',
  instanceId: INSTANCE,
  region: 'eu-west-1',
};
const file: Entity = { kind: 'file', id: 'sha256:ab', verdict: 'malicious', deviceId: INSTANCE };
const url: Entity = { kind: 'url', id: 'evil.example', verdict: 'malicious' };

describe('placedOnDevices', () => {
  it("gives each EC2 device and every entity on it the device's account and region", () => {
    // Act
    const placed = placedOnDevices([device, file, url], {
      accountId: '210987654321',
      region: 'us-east-1',
    });

    // Assess: the device's own region wins over the finding's; a URL lives nowhere
    expect(placed).toEqual([
      { ...device, accountId: '210987654321', region: 'eu-west-1' },
      { ...file, accountId: '210987654321', region: 'eu-west-1' },
      url,
    ]);
  });

  it('leaves out an account id or region that is not well formed', () => {
    // Act
    const [placedDevice, placedFile] = placedOnDevices(
      [{ ...device, accountId: 'x', region: 'nowhere' }, file],
      { accountId: '12345', region: 'evil.example.com/x' },
    );

    // Assess
    expect(placedDevice).not.toHaveProperty('accountId');
    expect(placedDevice).not.toHaveProperty('region');
    expect(placedFile).toEqual(file);
  });
});
