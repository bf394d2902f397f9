import { groupRef, mayPublishUnder } from './owners';

describe('mayPublishUnder', () => {
  const publisher = (userEntityRef: string, ...groups: string[]) => ({
    userEntityRef,
    ownershipEntityRefs: [userEntityRef, ...groups],
  });

  it('compares refs as the catalog does, ignoring case', () => {
    expect(
      mayPublishUnder(
        'team-a',
        publisher('user:default/Jane', 'Group:Default/Team-A'),
      ),
    ).toEqual({ allowed: true, as: 'owner' });
    expect(mayPublishUnder('jane', publisher('user:default/Jane'))).toEqual({
      allowed: true,
      as: 'owner',
    });
  });

  it('maps an owner name to the default namespace only', () => {
    // The guest of the guest provider when the catalog does not know it.
    expect(
      mayPublishUnder('guest', publisher('user:development/guest')),
    ).toMatchObject({ allowed: false });
    expect(
      mayPublishUnder(
        'team-a',
        publisher('user:default/jo', 'group:other/team-a'),
      ),
    ).toMatchObject({ allowed: false });
  });

  it('is not fooled by a group whose name only starts like the owner', () => {
    expect(
      mayPublishUnder(
        'team',
        publisher('user:default/jo', 'group:default/team-a'),
      ),
    ).toMatchObject({ allowed: false });
  });

  it('lets a platform member publish under any owner', () => {
    const pat = publisher('user:default/pat', 'group:default/platform');
    expect(mayPublishUnder('team-a', pat, 'platform')).toEqual({
      allowed: true,
      as: 'platform',
    });
    expect(mayPublishUnder('team-a', pat)).toMatchObject({ allowed: false });
  });
});

describe('groupRef', () => {
  it.each([
    ['platform', 'group:default/platform'],
    ['group:platform', 'group:default/platform'],
    ['group:default/Platform', 'group:default/platform'],
    ['group:ops/platform', 'group:ops/platform'],
  ])('reads %p as %p', (value, ref) => {
    expect(groupRef(value)).toBe(ref);
  });
});
