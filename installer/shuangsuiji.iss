; Inno Setup 6 script: turns dist\shuangsuiji (the PyInstaller one-folder bundle) into a Windows
; installer that needs no administrator rights. Built by installer\build.ps1; see installer\README.md.
;
; The Chinese wizard texts come from ChineseSimplified.isl, an unofficial Inno Setup translation
; (build.ps1 downloads it into this folder; or copy it from
; https://github.com/jrsoftware/issrc/tree/main/Files/Languages/Unofficial).
; This file is UTF-8 with a BOM so that Inno Setup reads the Chinese names correctly.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "双随机 desk"
#define AppExe "shuangsuiji.exe"

[Setup]
AppId={{6F1E0C52-8A4B-4D7E-9C3A-5B2D7E41A9C8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=双随机 desk
; Per-user install: no UAC prompt, no administrator.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\ShuangSuiJiDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UninstallDisplayIcon={app}\{#AppExe}
; The setup program wears the app's icon too (the .exe files carry it from the spec).
SetupIconFile=..\resources\icons\app.ico
UninstallDisplayName={#AppName}
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist\installer
OutputBaseFilename=shuangsuiji-desk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; Ask a running copy to close before its files are replaced.
CloseApplications=yes

[Languages]
Name: "chinesesimp"; MessagesFile: "ChineseSimplified.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade starts from a clean program folder so no library of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\shuangsuiji\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes only what was installed into {app}. The data folder
; (%LOCALAPPDATA%\ShuangSuiJiDesk: the database, its backups, config.json) is a different
; folder and is deliberately left alone, so uninstalling or upgrading never loses records.
