import { readFileSync } from 'node:fs';

/** The package managers protoflow can name a command for. */
type PackageManager = 'apt' | 'dnf' | 'pacman' | 'apk' | 'zypper' | 'brew' | 'winget';

/** What to install: the package's name for each package manager. */
export interface Installable {
  what: string;
  /** Where a system needs none (Windows and macOS ship CJK fonts), or has none, it is left out. */
  packages: Partial<Record<PackageManager, string>>;
}

export const JAVA: Installable = {
  what: 'Java',
  packages: {
    apt: 'default-jre-headless',
    dnf: 'java-21-openjdk-headless',
    pacman: 'jre-openjdk-headless',
    apk: 'openjdk21-jre-headless',
    zypper: 'java-21-openjdk-headless',
    brew: '--cask temurin',
    winget: 'Microsoft.OpenJDK.21',
  },
};

export const CHROMIUM: Installable = {
  what: 'Chromium',
  packages: {
    apt: 'chromium',
    dnf: 'chromium',
    pacman: 'chromium',
    apk: 'chromium',
    zypper: 'chromium',
    brew: '--cask google-chrome',
    winget: 'Google.Chrome',
  },
};

/** Wireshark's command-line reader, for packet captures (protoflow conform). */
export const TSHARK: Installable = {
  what: 'tshark (Wireshark)',
  packages: {
    apt: 'tshark',
    dnf: 'wireshark-cli',
    pacman: 'wireshark-cli',
    apk: 'tshark',
    zypper: 'wireshark',
    brew: '--cask wireshark',
    winget: 'WiresharkFoundation.Wireshark',
  },
};

const COMMANDS: Record<PackageManager, (pkg: string) => string> = {
  apt: (pkg) => `sudo apt-get install -y ${pkg}`,
  dnf: (pkg) => `sudo dnf install -y ${pkg}`,
  pacman: (pkg) => `sudo pacman -S ${pkg}`,
  apk: (pkg) => `sudo apk add ${pkg}`,
  zypper: (pkg) => `sudo zypper install -y ${pkg}`,
  brew: (pkg) => `brew install ${pkg}`,
  winget: (pkg) => `winget install ${pkg}`,
};

/** Linux distributions by the `ID`/`ID_LIKE` words of /etc/os-release. */
const DISTRIBUTIONS: [RegExp, PackageManager][] = [
  [/\b(debian|ubuntu)\b/, 'apt'],
  [/\b(fedora|rhel|centos)\b/, 'dnf'],
  [/\barch\b/, 'pacman'],
  [/\balpine\b/, 'apk'],
  [/\b(suse|opensuse)\b/, 'zypper'],
];

/** What decides the package manager: the platform and, on Linux, /etc/os-release. */
export interface System {
  platform: NodeJS.Platform;
  osRelease: () => string;
}

/** This machine, or (in tests, and where a caller was told another platform) the platform given. */
export const thisSystem = (platform: NodeJS.Platform = process.platform): System => ({ platform, osRelease: readOsRelease });

/** The package manager of a system, when it is one protoflow knows. */
export function systemPackageManager({ platform, osRelease }: System = thisSystem()): PackageManager | undefined {
  if (platform === 'darwin') return 'brew';
  if (platform === 'win32') return 'winget';
  if (platform !== 'linux') return undefined;
  const release = osRelease();
  const ids = [/^ID=(.*)$/m, /^ID_LIKE=(.*)$/m].map((field) => field.exec(release)?.[1]?.replace(/"/g, '') ?? '').join(' ');
  return DISTRIBUTIONS.find(([pattern]) => pattern.test(ids))?.[1];
}

function readOsRelease(): string {
  try {
    return readFileSync('/etc/os-release', 'utf8');
  } catch {
    return '';
  }
}

/** "install it with: sudo apt-get install -y chromium", for this system; a generic line where it is unknown. */
export function installHint(installable: Installable, system: System = thisSystem()): string {
  const manager = systemPackageManager(system);
  const pkg = manager && installable.packages[manager];
  if (!manager || !pkg) return `install ${installable.what} with your system's package manager`;
  return `install it with: ${COMMANDS[manager](pkg)}`;
}

/** Fonts for Chinese, Japanese and Korean labels, which otherwise draw as boxes. */
export const CJK_FONTS: Installable = {
  what: 'a CJK font',
  packages: {
    apt: 'fonts-noto-cjk',
    dnf: 'google-noto-sans-cjk-fonts',
    pacman: 'noto-fonts-cjk',
    apk: 'font-noto-cjk',
    zypper: 'noto-sans-cjk-fonts',
  },
};
