; 帮扶通 Bangfu — Windows installer (Inno Setup 6; compiled by the Windows workflow, or by hand:
;   ISCC build\installer\bangfu.iss            after  python build\build.py --no-deb
; Per-user install without admin rights (PrivilegesRequired=lowest) into %LOCALAPPDATA%\Programs\Bangfu;
; IT installs for all users with /ALLUSERS (or the dialog's choice) into Program Files. The program keeps its data
; in %LOCALAPPDATA%\Bangfu (app/paths.py), never in the install folder, so uninstalling leaves the data alone.
; The version comes from bangfu.exe's version resource, which build/bangfu.spec fills from app.__version__.
; Code signing: pass /DSIGN and /Sbangfusign=... (see .github/workflows/windows.yml); unsigned otherwise.
; This file is UTF-8 with a BOM: Inno Setup needs the BOM to read the Chinese text.

#ifndef BundleDir
  #define BundleDir AddBackslash(SourcePath) + "..\..\dist\bangfu"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\..\dist"
#endif
#define AppExe BundleDir + "\bangfu.exe"
#if !FileExists(AppExe)
  #error The bundle is missing: run  python build\build.py --no-deb  first
#endif
#define AppVersionNumeric GetVersionNumbersString(AppExe)
#define AppVersion GetStringFileInfo(AppExe, "ProductVersion")
#if AppVersion == ""
  #define AppVersion AppVersionNumeric
#endif

[Setup]
; Never change the AppId: it is how an upgrade finds and replaces the installed version in place.
AppId={{6F0C2B8E-5D1A-4E67-9C3B-B4A1D2E8F705}
AppName=帮扶通 Bangfu
AppVersion={#AppVersion}
AppVerName=帮扶通 Bangfu {#AppVersion}
AppPublisher=丽水市帮扶通项目组
VersionInfoVersion={#AppVersionNumeric}
VersionInfoProductName=帮扶通 Bangfu
VersionInfoDescription=帮扶通 Bangfu 安装程序 / installer
DefaultDirName={autopf}\Bangfu
DefaultGroupName=帮扶通 Bangfu
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog commandline
; Windows 10 1809 (build 17763) and later, 64-bit.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=bangfu-setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\bangfu.ico
UninstallDisplayIcon={app}\bangfu.exe
UninstallDisplayName=帮扶通 Bangfu
Compression=lzma2/max
SolidCompression=yes
; bangfu.exe and bangfu-cli.exe each carry the same ~20 MB of compiled modules: a 64 MB window compresses the
; second copy to almost nothing (setup then needs 64 MB of memory to unpack, fine on any desk PC).
LZMADictionarySize=65536
WizardStyle=modern
; A running Bangfu is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=auto
LanguageDetectionMethod=uilanguage
#ifdef SIGN
SignTool=bangfusign
SignedUninstaller=yes
#endif

[Languages]
; Chinese first. Inno Setup 6.5+ ships an official ChineseSimplified.isl; with an older compiler our own
; partial translation is laid over the English defaults (messages it lacks stay English).
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
Name: "zh_CN"; MessagesFile: "compiler:Default.isl,ChineseSimplified-fallback.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
; Said before uninstalling, in both languages: the ledger is not in the install folder and stays.
zh_CN.ConfirmUninstall=确定要卸载 %1 吗？%n%n您的台账数据、备份和设置保存在用户数据文件夹（AppData\Local\Bangfu），卸载后仍会保留。
en.ConfirmUninstall=Are you sure you want to remove %1?%n%nYour ledger, backups and settings are in your user data folder (AppData\Local\Bangfu) and are kept.

[CustomMessages]
zh_CN.AppShortcut=帮扶通 Bangfu
en.AppShortcut=Bangfu 帮扶通
zh_CN.AppComment=结对帮扶台账
en.AppComment=Paired-assistance ledger
zh_CN.CliShortcut=帮扶通 命令行自检
en.CliShortcut=Bangfu self-test (console)
zh_CN.LaunchApp=启动帮扶通
en.LaunchApp=Start Bangfu

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade first removes the previous version's libraries, so no stale file of an old release stays behind
; (PyInstaller's _internal changes file names between versions of Python, Qt and numpy).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{cm:AppShortcut}"; Filename: "{app}\bangfu.exe"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{cm:AppShortcut}"; Filename: "{app}\bangfu.exe"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\bangfu.exe"; Description: "{cm:LaunchApp}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the install folder. The user's data (%LOCALAPPDATA%\Bangfu: ledger, backups, settings) is kept on purpose.
Type: filesandordirs; Name: "{app}\_internal"
