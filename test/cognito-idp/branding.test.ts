import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CreateManagedLoginBrandingCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DeleteManagedLoginBrandingCommand,
  DeleteUserPoolClientCommand,
  DescribeManagedLoginBrandingByClientCommand,
  DescribeManagedLoginBrandingCommand,
  GetUICustomizationCommand,
  SetUICustomizationCommand,
  UpdateManagedLoginBrandingCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/shared/clock.js';
import { startTestIdp, type TestIdp } from '../helpers/idp.js';
import { png } from '../hosted-ui/brandingImages.js';

const CSS = '.submitButton-customizable { background-color: #c0392b; color: white }';
const LOGO = png(40, 20, [20, 120, 200]);

/** SetUICustomization / GetUICustomization and the ManagedLoginBranding operations through the AWS SDK v3. */
describe('branding through the SDK', () => {
  let idp: TestIdp;
  const clock = new FakeClock(Date.UTC(2026, 5, 1, 12));
  let poolId: string;
  let clientId: string;
  let otherClient: string;

  const rejects = (p: Promise<unknown>, name: string, message: string | RegExp) =>
    expect(p).rejects.toMatchObject({ name, message: expect.stringMatching(message) });

  const newPool = async (name: string, tier?: 'LITE' | 'ESSENTIALS' | 'PLUS') => {
    const id = (
      await idp.sdk.send(
        new CreateUserPoolCommand({ PoolName: name, ...(tier ? { UserPoolTier: tier } : {}) }),
      )
    ).UserPool?.Id as string;
    const client = (
      await idp.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'web' }))
    ).UserPoolClient?.ClientId as string;
    return { id, client };
  };

  beforeAll(async () => {
    idp = await startTestIdp({ clock });
    ({ id: poolId, client: clientId } = await newPool('branded'));
    otherClient = (
      await idp.sdk.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'other' }))
    ).UserPoolClient?.ClientId as string;
    await idp.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: poolId, Domain: 'branded-pool' }));
  });
  afterAll(async () => {
    await idp?.stop();
  });

  describe('classic customization', () => {
    it('stores the pool’s CSS and logo, names the logo’s local ImageUrl, and returns them to every client without its own', async () => {
      const set = await idp.sdk.send(
        new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'ALL', CSS, ImageFile: LOGO }),
      );
      expect(set.UICustomization).toMatchObject({ UserPoolId: poolId, ClientId: 'ALL', CSS });
      const got = (
        await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }))
      ).UICustomization;
      expect(got).toMatchObject({ UserPoolId: poolId, ClientId: 'ALL', CSS, CSSVersion: expect.any(String) });
      expect(got?.CreationDate?.getTime()).toBe(clock.now());
      expect(got?.LastModifiedDate?.getTime()).toBe(clock.now());
      // The Hosted UI serves it there (test/hosted-ui/branding.test.ts fetches it and shows it in Chromium).
      expect(got?.ImageUrl).toBe(`${idp.urls.hostedUiBase()}/branding/${poolId}/ALL/logo-1`);
    });

    it('lets a client’s own customization override the pool’s, for that client only', async () => {
      clock.advance(60_000);
      const own = '.background-customizable { background-color: rgb(10, 20, 30) }';
      await idp.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: own }));
      const mine = (
        await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }))
      ).UICustomization;
      expect(mine).toMatchObject({ ClientId: clientId, CSS: own });
      expect(mine?.ImageUrl).toBeUndefined();
      const theirs = (
        await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: otherClient }))
      ).UICustomization;
      expect(theirs).toMatchObject({ ClientId: 'ALL', CSS });
      const pool = (await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId })))
        .UICustomization;
      expect(pool).toMatchObject({ ClientId: 'ALL', CSS });
    });

    it('answers an empty customization for a pool that has none', async () => {
      const { id } = await newPool('plain');
      const got = (await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: id }))).UICustomization;
      expect(got).toEqual({ UserPoolId: id, ClientId: 'ALL' });
    });

    const badCss: [string, string, RegExp][] = [
      ['a class Cognito does not offer', '.header { color: red }', /\.header is not a customizable class/],
      ['a type selector', 'button { color: red }', /button is not a customizable class/],
      [
        'a descendant of an allowed class',
        '.logo-customizable img { max-width: 50% }',
        /not a customizable class/,
      ],
      [
        'a property the class may not set',
        '.label-customizable { color: red }',
        /color cannot be set on \.label-customizable/,
      ],
      [
        'a value that is not CSS',
        '.submitButton-customizable { color: red</style><script>x() }',
        /the CSS could not be parsed|is not a valid value for color/,
      ],
      [
        'a wrong value for the property',
        '.submitButton-customizable { width: blue }',
        /blue is not a valid value for width/,
      ],
      ['an @import', '@import "x.css"; .label-customizable { font-weight: 700 }', /@import is not allowed/],
      [
        'an @media block',
        '@media print { .label-customizable { font-weight: 700 } }',
        /@media is not allowed/,
      ],
      [
        'a url()',
        '.errorMessage-customizable { background: url(https://example.com/x.png) }',
        /url\(\) is not allowed/,
      ],
    ];
    for (const [what, css, message] of badCss) {
      it(`refuses CSS with ${what} (InvalidParameterException)`, async () => {
        await rejects(
          idp.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId, CSS: css })),
          'InvalidParameterException',
          message,
        );
      });
    }

    it('keeps the customization it had when a request is refused', async () => {
      const got = (
        await idp.sdk.send(new GetUICustomizationCommand({ UserPoolId: poolId, ClientId: clientId }))
      ).UICustomization;
      expect(got?.CSS).toBe('.background-customizable { background-color: rgb(10, 20, 30) }');
    });

    it('refuses a logo over 100 KB and a file that is not a PNG or JPEG', async () => {
      const big = png(200, 200, 'noise');
      expect(big.length).toBeGreaterThan(100 * 1024);
      await rejects(
        idp.sdk.send(new SetUICustomizationCommand({ UserPoolId: poolId, CSS, ImageFile: big })),
        'InvalidParameterException',
        /larger than 100 KB/,
      );
      await rejects(
        idp.sdk.send(
          new SetUICustomizationCommand({ UserPoolId: poolId, ImageFile: Buffer.from('GIF89a not a png') }),
        ),
        'InvalidParameterException',
        /must be a PNG or JPEG/,
      );
    });

    it('refuses an unknown client, an unknown pool and a pool without a domain', async () => {
      await rejects(
        idp.sdk.send(
          new SetUICustomizationCommand({ UserPoolId: poolId, ClientId: 'nosuchclient0000000000000', CSS }),
        ),
        'ResourceNotFoundException',
        /client nosuchclient0000000000000 does not exist/,
      );
      await rejects(
        idp.sdk.send(
          new GetUICustomizationCommand({ UserPoolId: 'us-east-1_NoSuchOne', ClientId: clientId }),
        ),
        'ResourceNotFoundException',
        /User pool us-east-1_NoSuchOne does not exist/,
      );
      const { id } = await newPool('no-domain');
      await rejects(
        idp.sdk.send(new SetUICustomizationCommand({ UserPoolId: id, CSS })),
        'InvalidParameterException',
        /existing domain/,
      );
    });

    it('drops a client’s customization with the client', async () => {
      const { id, client } = await newPool('gone');
      await idp.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: 'gone-pool' }));
      await idp.sdk.send(new SetUICustomizationCommand({ UserPoolId: id, ClientId: client, CSS }));
      await idp.sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: id, ClientId: client }));
      const again = await idp.sdk.send(
        new CreateUserPoolClientCommand({ UserPoolId: id, ClientName: 'again' }),
      );
      const got = await idp.sdk.send(
        new GetUICustomizationCommand({ UserPoolId: id, ClientId: again.UserPoolClient?.ClientId }),
      );
      expect(got.UICustomization?.CSS).toBeUndefined();
    });
  });

  describe('managed login branding', () => {
    const settings = {
      components: {
        primaryButton: { lightMode: { defaults: { backgroundColor: 'c0392bff', textColor: 'ffffffff' } } },
      },
      categories: { global: { colorSchemeMode: 'LIGHT' } },
    };

    it('creates, describes (by id and by client), updates by merging, and deletes a style', async () => {
      const created = (
        await idp.sdk.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            Settings: settings,
            Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'PNG', Bytes: LOGO }],
          }),
        )
      ).ManagedLoginBranding;
      const id = created?.ManagedLoginBrandingId as string;
      expect(created).toMatchObject({
        UserPoolId: poolId,
        UseCognitoProvidedValues: false,
        Settings: settings,
      });
      expect(Buffer.from(created?.Assets?.[0]?.Bytes ?? []).equals(LOGO)).toBe(true);

      const byId = (
        await idp.sdk.send(
          new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
        )
      ).ManagedLoginBranding;
      expect(byId?.Settings).toEqual(settings);
      const byClient = (
        await idp.sdk.send(
          new DescribeManagedLoginBrandingByClientCommand({
            UserPoolId: poolId,
            ClientId: clientId,
            ReturnMergedResources: true,
          }),
        )
      ).ManagedLoginBranding;
      expect(byClient?.ManagedLoginBrandingId).toBe(id);
      // Merged: Cognito's defaults under what the style customized.
      expect(byClient?.Settings).toMatchObject({
        components: {
          primaryButton: { lightMode: { defaults: { backgroundColor: 'c0392bff' } } },
          pageBackground: { lightMode: { color: 'ffffffff' } },
        },
      });

      const updated = (
        await idp.sdk.send(
          new UpdateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ManagedLoginBrandingId: id,
            Settings: { components: { pageBackground: { lightMode: { color: '102030ff' } } } },
          }),
        )
      ).ManagedLoginBranding;
      expect(updated?.Settings).toEqual({
        ...settings,
        components: { ...settings.components, pageBackground: { lightMode: { color: '102030ff' } } },
      });
      expect(updated?.Assets).toHaveLength(1);

      await idp.sdk.send(
        new DeleteManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
      );
      await rejects(
        idp.sdk.send(
          new DescribeManagedLoginBrandingCommand({ UserPoolId: poolId, ManagedLoginBrandingId: id }),
        ),
        'ResourceNotFoundException',
        /does not exist/,
      );
      await rejects(
        idp.sdk.send(
          new DescribeManagedLoginBrandingByClientCommand({ UserPoolId: poolId, ClientId: clientId }),
        ),
        'ResourceNotFoundException',
        /has no managed login branding style/,
      );
    });

    it('refuses a second style for the same client (ManagedLoginBrandingExistsException)', async () => {
      await idp.sdk.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: poolId,
          ClientId: otherClient,
          UseCognitoProvidedValues: true,
        }),
      );
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ClientId: otherClient,
            Settings: settings,
          }),
        ),
        'ManagedLoginBrandingExistsException',
        /already exists/,
      );
    });

    it('refuses Settings together with UseCognitoProvidedValues, and an asset that is not what its extension says', async () => {
      const { id, client } = await newPool('bad-style');
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: id,
            ClientId: client,
            UseCognitoProvidedValues: true,
            Settings: settings,
          }),
        ),
        'InvalidParameterException',
        /must be omitted when UseCognitoProvidedValues is true/,
      );
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: id,
            ClientId: client,
            Assets: [{ Category: 'FORM_LOGO', ColorMode: 'LIGHT', Extension: 'JPEG', Bytes: LOGO }],
          }),
        ),
        'InvalidParameterException',
        /not a JPEG image/,
      );
    });

    it('refuses managed login branding on a LITE pool (FeatureUnavailableInTierException)', async () => {
      const { id, client } = await newPool('lite', 'LITE');
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({ UserPoolId: id, ClientId: client, Settings: settings }),
        ),
        'FeatureUnavailableInTierException',
        /not available in the LITE tier/,
      );
      const plus = await newPool('plus', 'PLUS');
      const ok = await idp.sdk.send(
        new CreateManagedLoginBrandingCommand({
          UserPoolId: plus.id,
          ClientId: plus.client,
          Settings: settings,
        }),
      );
      expect(ok.ManagedLoginBranding?.ManagedLoginBrandingId).toBeTruthy();
    });

    it('refuses an unknown pool, an unknown client and an unknown style', async () => {
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({ UserPoolId: 'us-east-1_NoSuchOne', ClientId: clientId }),
        ),
        'ResourceNotFoundException',
        /User pool us-east-1_NoSuchOne does not exist/,
      );
      await rejects(
        idp.sdk.send(
          new CreateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ClientId: 'nosuchclient0000000000000',
          }),
        ),
        'ResourceNotFoundException',
        /client nosuchclient0000000000000 does not exist/,
      );
      await rejects(
        idp.sdk.send(
          new UpdateManagedLoginBrandingCommand({
            UserPoolId: poolId,
            ManagedLoginBrandingId: '00000000-0000-4000-8000-000000000000',
            Settings: settings,
          }),
        ),
        'ResourceNotFoundException',
        /does not exist/,
      );
    });
  });
  it('takes the README’s aws CLI command (set-ui-customization with --image-file fileb://) and reads it back', async () => {
    const { id, client } = await newPool('cli');
    await idp.sdk.send(new CreateUserPoolDomainCommand({ UserPoolId: id, Domain: 'cli-pool' }));
    const logo = join(idp.dataDir, 'logo.png');
    writeFileSync(logo, LOGO);
    const aws = async (...args: string[]) =>
      JSON.parse(
        (
          await promisify(execFile)(
            'aws',
            ['cognito-idp', ...args, '--endpoint-url', idp.url, '--output', 'json'],
            {
              env: {
                PATH: process.env.PATH ?? '',
                HOME: idp.dataDir,
                AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
                AWS_SECRET_ACCESS_KEY: 'local-secret',
                AWS_DEFAULT_REGION: 'us-east-1',
              },
            },
          )
        ).stdout,
      ) as { UICustomization: Record<string, unknown> };
    await aws(
      'set-ui-customization',
      '--user-pool-id',
      id,
      '--client-id',
      client,
      '--css',
      CSS,
      '--image-file',
      `fileb://${logo}`,
    );
    const got = await aws('get-ui-customization', '--user-pool-id', id, '--client-id', client);
    expect(got.UICustomization).toMatchObject({
      ClientId: client,
      CSS,
      ImageUrl: expect.stringContaining('/logo-1'),
    });
  });
});
