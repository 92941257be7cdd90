import { describe, expect, it } from 'vitest';
import { bluetoothStrapKey } from '$core/rooms';
import { bluetoothRoomKey } from './room-hub.svelte';

describe('bluetoothRoomKey', () => {
  it('knows a Bluetooth strap by its advertised name (what its wearer registers), by the hub’s id when the name tells it from no other', () => {
    const straps = [
      { id: 'AAA+/1==', name: 'Polar H10 4E2D1A2B' },
      { id: 'BBB+/2==', name: 'Heart-rate strap' },
      { id: 'CCC+/3==', name: 'Heart-rate strap' },
      { id: 'DDD+/4==', name: 'Polar H10' },
      { id: 'EEE+/5==', name: 'Polar H10 ' },
      { id: 'FFF+/6==', name: '' },
      { id: null, name: 'Garmin HRM-Dual' },
    ];
    expect(bluetoothRoomKey('AAA+/1==', straps)).toBe('ble:Polar_H10_4E2D1A2B');
    expect(bluetoothRoomKey('AAA+/1==', straps)).toBe(bluetoothStrapKey('Polar H10 4E2D1A2B'));
    // The browser gave no name: each strap its own key.
    expect(bluetoothRoomKey('BBB+/2==', straps)).toBe(bluetoothStrapKey('BBB+/2=='));
    expect(bluetoothRoomKey('CCC+/3==', straps)).toBe(bluetoothStrapKey('CCC+/3=='));
    expect(bluetoothRoomKey('FFF+/6==', straps)).toBe(bluetoothStrapKey('FFF+/6=='));
    // Two straps with one name: never one participant.
    expect(bluetoothRoomKey('DDD+/4==', straps)).not.toBe(bluetoothRoomKey('EEE+/5==', straps));
    // Not (yet) among the straps: its id.
    expect(bluetoothRoomKey('ZZZ', straps)).toBe('ble:ZZZ');
  });
});
